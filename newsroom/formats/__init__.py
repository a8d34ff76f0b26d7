"""
The newsroom's own date and time formats, one module per language (Django's
FORMAT_MODULE_PATH): what the admin, the desk and the workflow's messages show.
"""
