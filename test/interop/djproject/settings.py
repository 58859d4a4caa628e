"""The interop project's settings: one djongo database, named by the test.

DJONGO_URI is the test server's URI and DJONGO_DB the test's database;
DJONGO_ENFORCE_SCHEMA=1 turns djongo's ENFORCE_SCHEMA on.
"""
import os

SECRET_KEY = 'interop-tests-only'
INSTALLED_APPS = ['blog']
DATABASES = {
    'default': {
        'ENGINE': 'djongo',
        'NAME': os.environ['DJONGO_DB'],
        # DJONGO_ENFORCE_SCHEMA=1: djongo refuses rows that lack a column (MigrationError).
        'ENFORCE_SCHEMA': os.environ.get('DJONGO_ENFORCE_SCHEMA') == '1',
        'CLIENT': {'host': os.environ['DJONGO_URI']},
    }
}
USE_TZ = False
