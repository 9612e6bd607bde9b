"""Use cases: every query and every change of the data lives here, inside the caller's
transaction (services flush, they never commit).

Services report problems as ``errors.ServiceError`` codes with parameters; they never word them
and never import the web layer, the worker or Flask. docs/architecture.md lists the modules.
"""
