"""The weekly digest to the chair: quiet when nothing needs action (docs/operations.md).

settings.py (the board file's `digest:` and the week's moment), compute.py (what needs a
decision or is late), words.py (the message), clock.py (the producer and its runs),
command.py (/qa digest). Kept empty here: commands/board_schema.py imports settings.py.
"""
