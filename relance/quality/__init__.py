"""The quality check between rounds (issue 11): the rules of the interfaces that judge a
fiche's data (``rules``, in the fiche registry), a round's findings with the coordinators'
explanations (``report``), ``manage.py quality_check`` and the page ``/quality/<code>/``
(``views``, ``exports``), which reads the findings as last stored (``stored``), computed
again when the plan changed (``version``)."""
