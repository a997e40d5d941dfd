"""The staff console at /staff: a web adapter over the staff desk (``desk``).

Routes translate HTTP into desk calls and desk results into Jinja2 pages; who may do what, and
what it changes, is decided in ``desk``. Every page needs a signed-in account; every form
carries a CSRF token; every view or export of personal data is written to the audit log.
"""
