"""Recognition, post and comment forms."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from tracker.models import PostKind, User
from tracker.teams.feed.services import PostInput
from tracker.web.forms import OptionalIdSelect, TrackerForm, VersionedForm, options
from tracker.web.teams.goals.forms import strip

MIN_PRAISE = 10


def safe_link(value: str) -> bool:
    """An absolute http(s) address with a host and nothing a browser would reinterpret."""
    if not value or any(ch.isspace() or ord(ch) < 32 or ch in '<>"\\`' for ch in value):
        return False
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(host)


class RecognitionForm(TrackerForm):
    recipient_id = OptionalIdSelect(_l("Colleague"), validate_choice=False)
    message = TextAreaField(
        _l("For what"), filters=[strip],
        validators=[DataRequired(message=_l("Say what they did.")),
                    Length(min=MIN_PRAISE, max=2000,
                           message=_l("Say what they did in %(min)d to %(max)d characters."))],
        description=_l("Something specific: what they did and what it made possible."))

    def __init__(self, *args: object, people: list[User] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._people = list(people)
        self.recipient_id.choices = options([("", "")] + [(u.id, u.name) for u in people])

    def validate_recipient_id(self, field: OptionalIdSelect) -> None:
        if field.data is None:
            raise ValidationError(_l("Choose whom to recognize."))
        if field.data not in {u.id for u in self._people}:
            raise ValidationError(_l("Choose a member of this team other than yourself."))


class PostForm(VersionedForm):
    kind = SelectField(_l("Kind"))
    title = StringField(_l("Title"), filters=[strip], validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Text"), filters=[strip], validators=[Optional(), Length(max=20000)])
    link = StringField(_l("Link"), filters=[strip], validators=[Optional(), Length(max=500)],
                       description=_l("Optional: the source, an http:// or https:// address."))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = options((k.value, k.label) for k in PostKind)

    def validate_link(self, field: StringField) -> None:
        if field.data and not safe_link(field.data):
            raise ValidationError(_l("Enter a web address starting with http:// or https://."))

    def to_input(self) -> PostInput:
        """The validated form as the service takes it."""
        return PostInput(kind=self.kind.data, title=self.title.data,
                         body=self.body.data or "", link=self.link.data or "")


class CommentForm(TrackerForm):
    body = TextAreaField(_l("Your reply"), filters=[strip],
                         validators=[DataRequired(message=_l("Write a reply first.")),
                                     Length(max=2000)])
