"""Who may see what: local accounts, sign-in setup, kiosk screens and the audit log."""
