"""The audit trail: who changed what in the plan's reporting, when, field by field, and
through which channel (the fiche form, a workbook import, the API), read from the history
that django-simple-history records."""
