"""The seed's models, as djongo's docs write them."""
from djongo import models
from djongo.storage import GridFSStorage


class Blog(models.Model):
    name = models.CharField(max_length=100)
    tagline = models.TextField()

    class Meta:
        abstract = True


class Entry(models.Model):
    blog = models.EmbeddedField(model_container=Blog)
    headline = models.CharField(max_length=255)
    body_text = models.TextField()
    pub_date = models.DateField()
    n_comments = models.IntegerField()
    rating = models.IntegerField()


class Author(models.Model):
    name = models.CharField(max_length=100)


class Comment(models.Model):
    author = models.CharField(max_length=100)
    text = models.TextField()

    class Meta:
        abstract = True


class Post(models.Model):
    headline = models.CharField(max_length=255)
    comments = models.ArrayField(model_container=Comment)
    data = models.JSONField()
    authors = models.ArrayReferenceField(to=Author, on_delete=models.CASCADE)


files = GridFSStorage(collection='myfiles', base_url='/media/')


class Attachment(models.Model):
    title = models.CharField(max_length=100)
    document = models.FileField(storage=files, upload_to='')
    image = models.ImageField(storage=files, upload_to='')
