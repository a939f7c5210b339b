"""督办: the ledger of supervision notices, feedback, reminders, the report and the export.

The functions in :mod:`docgen.supervision.api` take and return plain data;
the CLI (``docgen supervise``) and the web page are thin layers over them.
"""
