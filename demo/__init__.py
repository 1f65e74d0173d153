"""The demo: fictional companies' boards in the real ATS formats, the script that builds them, and the run
`make demo` starts (`python -m demo`)."""
