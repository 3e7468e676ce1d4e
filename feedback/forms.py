"""Forms for staff pages. Validation messages are instructions (GOV.UK style)."""

import re

from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, PasswordField, SelectField, StringField
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


def choices(pairs):
    return [SelectChoice(value, label) for value, label in pairs]


WEEK = re.compile(r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$")


class SignInForm(FlaskForm):
    email = EmailField("Email address", validators=[
        DataRequired("Enter your email address"), Length(max=254)])
    password = PasswordField("Password", validators=[
        DataRequired("Enter your password"), Length(max=128)])


class NewLinkForm(FlaskForm):
    stage = SelectField("When is this feedback for?",
                        validators=[InputRequired("Select when this feedback is for")])
    crime_category = SelectField(
        "Crime category",
        choices=choices([("", "Select a category")] + [(c.code, c.label) for c in CATEGORIES]),
        validators=[DataRequired("Select the crime category")])
    team = StringField("Team or unit", validators=[
        DataRequired("Enter the team or unit"),
        Length(max=60, message="Team must be 60 characters or fewer")])
    expiry_days = IntegerField("Days until the link expires", validators=[
        InputRequired("Enter the number of days until the link expires"),
        NumberRange(1, 90, "Days until the link expires must be between 1 and 90")])
    language = SelectField("Language for the survey", default="en")


class ExportForm(FlaskForm):
    from_week = StringField("From week", validators=[
        Optional(), Regexp(WEEK, message="Enter the from week like 2026-W01")])
    to_week = StringField("To week", validators=[
        Optional(), Regexp(WEEK, message="Enter the to week like 2026-W52")])
    stage = SelectField("Journey stage", validators=[Optional()])
    crime_category = SelectField(
        "Crime category",
        choices=choices([("", "All categories")] + [(c.code, c.label) for c in CATEGORIES]),
        validators=[Optional()])
    team = StringField("Team or unit", validators=[Optional(), Length(max=60)])

    def validate_to_week(self, field):
        if field.data and self.from_week.data and field.data < self.from_week.data:
            raise ValidationError("The to week must be the same as or after the from week")

    def filters(self):
        return {name: (getattr(self, name).data or "").strip()
                for name in ("from_week", "to_week", "stage", "crime_category", "team")}


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change state."""
