"""The `plenty` command line: click commands that parse their input, call the packages below, and print."""
