"""The interop project's settings: one djongo database, named by the test.

DJONGO_URI is the test server's URI and DJONGO_DB the test's database.
"""
import os

SECRET_KEY = 'interop-tests-only'
INSTALLED_APPS = ['blog']
DATABASES = {
    'default': {
        'ENGINE': 'djongo',
        'NAME': os.environ['DJONGO_DB'],
        'ENFORCE_SCHEMA': False,
        'CLIENT': {'host': os.environ['DJONGO_URI']},
    }
}
USE_TZ = False
