"""Section 11 cycles: launch, reminders, replies in the thread, escalation and the panel."""
