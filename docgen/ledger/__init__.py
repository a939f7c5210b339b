"""督办台账: the supervision notices kept in the number register's database.

``schema`` (the tables, the statuses), ``store`` (:class:`~docgen.ledger.store.Ledger`:
the notices, their feedback and history), ``workbook`` (the ledger as an Excel
workbook). A floor below both the batch, which issues notices into it in the same
transaction as their numbers, and docgen.supervision, which follows them up.
"""
