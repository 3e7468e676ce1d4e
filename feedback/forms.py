"""Forms for staff pages. Validation messages are instructions (GOV.UK style)."""

import re

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from feedback.categories import CATEGORIES
from feedback.i18n import LANGUAGES


def choices(pairs):
    return [SelectChoice(value, label) for value, label in pairs]


class ChoiceField(SelectField):
    """A select whose 'not one of the options' message is an instruction."""

    def __init__(self, label, invalid_message, **kwargs):
        super().__init__(label, **kwargs)
        self.invalid_message = invalid_message

    def pre_validate(self, form):
        if self.data not in {choice.value for choice in self.iter_choices()}:
            raise ValidationError(self.invalid_message)


class WholeNumberField(IntegerField):
    def __init__(self, label, invalid_message, **kwargs):
        super().__init__(label, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.invalid_message) from None


WEEK = re.compile(r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$")


class SignInForm(FlaskForm):
    email = EmailField("Email address", validators=[
        DataRequired("Enter your email address"), Length(max=254)])
    password = PasswordField("Password", validators=[
        DataRequired("Enter your password"), Length(max=128)])


class NewLinkForm(FlaskForm):
    stage = ChoiceField("When is this feedback for?", "Select when this feedback is for")
    crime_category = ChoiceField(
        "Crime category", "Select the crime category",
        choices=choices([("", "Select a category")] + [(c.code, c.label) for c in CATEGORIES]),
        validators=[DataRequired("Select the crime category")])
    # A choice, never free text: whatever is typed here would be copied into the
    # anonymised response, so a name or collar number must have nowhere to go.
    team = ChoiceField("Team or unit", "Select the team or unit")
    expiry_days = WholeNumberField(
        "Days until the link expires", "Enter the number of days as a number, like 28",
        validators=[
        InputRequired("Enter the number of days until the link expires"),
        NumberRange(1, 90, "Days until the link expires must be between 1 and 90")])
    language = ChoiceField("Language for the survey", "Select a language", default="en",
                           choices=choices(LANGUAGES.items()))


class ExportForm(FlaskForm):
    from_week = StringField("From week", validators=[
        Optional(), Regexp(WEEK, message="Enter the from week like 2026-W01")])
    to_week = StringField("To week", validators=[
        Optional(), Regexp(WEEK, message="Enter the to week like 2026-W52")])
    stage = ChoiceField("Journey stage", "Select a journey stage")
    crime_category = ChoiceField(
        "Crime category", "Select a crime category",
        choices=choices([("", "All categories")] + [(c.code, c.label) for c in CATEGORIES]),
        validators=[Optional()])
    team = ChoiceField("Team or unit", "Select a team or unit")

    def validate_to_week(self, field):
        if field.data and self.from_week.data and field.data < self.from_week.data:
            raise ValidationError("The to week must be the same as or after the from week")

    def filters(self):
        return {name: (getattr(self, name).data or "").strip()
                for name in ("from_week", "to_week", "stage", "crime_category", "team")}


class SendForm(FlaskForm):
    """Where to send a link. The recipient is used to send, then forgotten:
    it is never put back into the page, so it is not left on a shared screen."""

    recipient = StringField(validators=[Length(max=320)])
    confirm = BooleanField(
        "I have checked with the person that it is safe to contact them this way",
        validators=[DataRequired("Confirm it is safe to contact the person this way")])


class LinkFilterForm(FlaskForm):
    """Filters for My links, sent by GET (reading changes nothing, so no CSRF token).
    Choices only: there is no free-text search or label, which would invite names."""

    class Meta:
        csrf = False

    status = ChoiceField("Status", "Select a status from the list", default="")
    stage = ChoiceField("Survey", "Select a survey from the list", default="")
    period = ChoiceField("Created", "Select when the links were created", default="",
                         choices=choices([("", "Any time"), ("today", "Today"),
                                          ("week", "In the last 7 days"),
                                          ("month", "In the last 30 days")]))
