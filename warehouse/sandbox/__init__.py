"""The SQL sandbox: one checked, limited, isolated query path for the workbench and `gridpulse sql`."""
