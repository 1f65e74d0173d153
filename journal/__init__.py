"""The rejection journal: the roles you were turned down for, as you record them, and what you did with postings."""
