"""Outside formats and systems (bank files, SEPA, ...), kept free of Django.

Everything under ``contrib`` is plain Python so it can run in a worker or a script
without the web platform; the Django apps call it through its public functions.
"""
