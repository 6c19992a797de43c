"""Documents built outside the request: the report PDF and the report package.

A request asks for an artefact (``services.request_artefact``): one row per kind, round and
parameters, whoever asks. A second request while it is queued or running joins that build;
a closed round's finished artefact is served from disk; an open round's is built afresh.
A Celery worker builds it (``relance.tasks.build_artefact``), or, without a worker
(``settings.RELANCE_TASKS_IN_PROCESS``, the embedded default), the request itself, with the
same code (``services.run_artefact``).
"""
