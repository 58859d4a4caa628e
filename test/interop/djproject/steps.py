"""What the interop suite asks djongo to do, one step per run, through Django's ORM.

    python steps.py <step> [json argument]

Each step prints one JSON document on stdout, for the node:test side to assert on.
"""
import base64
import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'settings')

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from djongo.storage import _get_subcollections  # noqa: E402

from blog.models import Attachment, Author, Entry, Post, files  # noqa: E402

# A 2x1 GIF.
GIF = base64.b64decode('R0lGODlhAgABAIAAAP///wAAACwAAAAAAgABAAACAoRRADs=')


def day(iso):
    return datetime.date.fromisoformat(iso)


def seed(_):
    """djongo's first rows: three entries (the second deleted), two authors, a post by both."""
    entries = [
        Entry.objects.create(
            blog={'name': 'Beatles Blog', 'tagline': 'All the latest Beatles news.'},
            headline='Hey Jude', body_text='Take a sad song', pub_date=day('1968-08-26'), n_comments=2, rating=5,
        ),
        Entry.objects.create(
            blog={'name': 'Beatles Blog', 'tagline': 'All the latest Beatles news.'},
            headline='Abbey Road', body_text='Come together', pub_date=day('1969-09-26'), n_comments=0, rating=4,
        ),
        Entry.objects.create(
            blog={'name': 'Stones Weekly', 'tagline': 'Rolling news.'},
            headline='Paint It Black', body_text='I see a red door', pub_date=day('1966-05-07'), n_comments=1, rating=3,
        ),
    ]
    Entry.objects.filter(headline='Abbey Road').delete()
    john = Author.objects.create(name='John')
    paul = Author.objects.create(name='Paul')
    post = Post.objects.create(
        headline='Let It Be', comments=[{'author': 'ann', 'text': 'Whisper words'}], data={'chart': {'uk': 1}},
    )
    post.authors.add(john, paul)
    return {'entries': [e.id for e in entries], 'authors': [john.id, paul.id], 'post': post.id}


def dump(_):
    """Every row as djongo reads it, and djongo's lookup into an embedded document."""
    return {
        'entries': [
            {**e, 'pub_date': e['pub_date'].isoformat()} for e in Entry.objects.order_by('id').values()
        ],
        'authors': list(Author.objects.order_by('id').values('id', 'name')),
        'posts': [
            {'id': p.id, 'headline': p.headline, 'comments': p.comments, 'data': p.data, 'authors': sorted(p.authors_id)}
            for p in Post.objects.order_by('id')
        ],
        'beatles': list(
            Entry.objects.filter(blog={'name': 'Beatles Blog'}).order_by('id').values_list('id', flat=True)
        ),
    }


def relations(_):
    """The ArrayReferenceField's joins: each post's authors, and the posts by John."""
    return {
        'authors': {p.id: sorted(a.name for a in p.authors.all()) for p in Post.objects.order_by('id')},
        'johns_posts': list(Post.objects.filter(authors__name='John').order_by('id').values_list('id', flat=True)),
    }


def exists(headline):
    """Django's .exists(), which sends $literal."""
    return Entry.objects.filter(headline=headline).exists()


def write(_):
    """djongo writes after the other side: new rows (their ids) and a save of a row it did not write."""
    entry = Entry.objects.create(
        blog={'name': 'Stones Weekly', 'tagline': 'Rolling news.'},
        headline='Angie', body_text='Angie, Angie', pub_date=day('1973-08-20'), n_comments=0, rating=2,
    )
    author = Author.objects.create(name='Mick')
    post = Post.objects.create(headline='Wild Horses', comments=[], data={'chart': {'us': 28}})
    post.authors.add(author)
    newest = Entry.objects.exclude(id=entry.id).order_by('-id')[0]
    newest.rating += 1
    newest.save()
    return {'entry': entry.id, 'author': author.id, 'post': post.id, 'saved': newest.id}


def save_files(_):
    """djongo's GridFSStorage saves a FileField's and an ImageField's files, at the storage's top level."""
    attachment = Attachment.objects.create(
        title='From Django',
        document=SimpleUploadedFile('report.txt', b'djongo wrote this', content_type='text/plain'),
        image=SimpleUploadedFile('dot.gif', GIF, content_type='image/gif'),
    )
    return {'id': attachment.id, 'document': attachment.document.name, 'image': attachment.image.name}


def save_dir_files(_):
    """djongo saves files in subdirectories, as FieldFile.save keeps a name's directory."""
    attachment = Attachment(title='In a directory')
    attachment.document.save(
        'docs/report.txt', SimpleUploadedFile('report.txt', b'djongo wrote this in docs', content_type='text/plain'),
        save=False,
    )
    attachment.image.save('img/dot.gif', SimpleUploadedFile('dot.gif', GIF, content_type='image/gif'))
    return {'id': attachment.id, 'document': attachment.document.name, 'image': attachment.image.name}


def open_file(name):
    """One file through djongo's storage: whether it exists, its size and its text."""
    if not files.exists(name):
        return None
    with files.open(name) as f:
        return {'size': files.size(name), 'text': f.read().decode()}


def listdir(path):
    """djongo's listdir, and the listing it means when it fails.

    djongo 1.3.7's listdir reads gridfs.__getattribute__('__collection'), a private
    name that pymongo's GridFS stores mangled (_GridFS__collection), so it raises
    AttributeError; the listing it means is its own _get_subcollections over that
    collection, and gridfs.list() for the files.
    """
    try:
        directories, names = files.listdir(path)
        return {'error': None, 'directories': sorted(directories), 'files': sorted(names)}
    except AttributeError as err:
        gridfs, _ = files._get_gridfs(path)
        subs = _get_subcollections(gridfs._GridFS__collection)
        return {
            'error': type(err).__name__,
            'directories': sorted(set(c.split('.')[-1] for c in subs)),
            'files': sorted(gridfs.list()),
        }


def read_files(_):
    """Every attachment's files as djongo opens them: text, and the image's size as Pillow reads it."""
    return [
        {
            'id': a.id,
            'title': a.title,
            'document': [a.document.name, a.document.read().decode()],
            'image': [a.image.name, a.image.width, a.image.height],
        }
        for a in Attachment.objects.order_by('id')
    ]


def recorded(_):
    """django_migrations as Django's MigrationRecorder reads it: every row, with the Python types it decoded."""
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    return [
        {'id': m.id, 'app': m.app, 'name': m.name, 'types': [type(m.id).__name__, type(m.applied).__name__]}
        for m in MigrationRecorder(connection).migration_qs.order_by('id')
    ]


STEPS = {
    'seed': seed,
    'dump': dump,
    'relations': relations,
    'exists': exists,
    'write': write,
    'save_files': save_files,
    'read_files': read_files,
    'save_dir_files': save_dir_files,
    'open_file': open_file,
    'listdir': listdir,
    'recorded': recorded,
}

if __name__ == '__main__':
    step, argument = sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else None
    json.dump(STEPS[step](argument), sys.stdout)
