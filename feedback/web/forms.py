"""Forms for staff pages. Validation messages are instructions (GOV.UK style)."""

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from feedback.domain import accounts
from feedback.domain.categories import CATEGORIES
from feedback.domain.second_factor import MAX_CODE_LENGTH
from feedback.usecases.api_clients import KEY_DAYS
from feedback.usecases.links import EXPIRY_DAYS
from feedback.usecases.sso import MAX_GROUP_LENGTH
from feedback.web.i18n import LANGUAGES


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


class _SaysHowToFixIt:
    """A field whose "not a valid ..." message is an instruction of our own."""

    def __init__(self, label, invalid_message, **kwargs):
        super().__init__(label, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.invalid_message) from None


class WholeNumberField(_SaysHowToFixIt, IntegerField):
    pass


class SignInForm(FlaskForm):
    email = EmailField("Email address", validators=[
        DataRequired("Enter your email address"), Length(max=254)])
    password = PasswordField("Password", validators=[
        DataRequired("Enter your password"), Length(max=128)])


class CodeForm(FlaskForm):
    code = StringField("Code", validators=[
        DataRequired("Enter the 6-digit code from your authenticator app, or a recovery code"),
        Length(max=MAX_CODE_LENGTH, message="Enter the 6-digit code from your authenticator app,"
                               " or a recovery code of 16 letters and numbers")])


class SetUpForm(FlaskForm):
    code = StringField("Code from the app", validators=[
        DataRequired("Enter the 6-digit code your authenticator app shows"),
        Length(max=MAX_CODE_LENGTH,
               message="Enter the 6-digit code your authenticator app shows")])


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
        NumberRange(*EXPIRY_DAYS, "Days until the link expires must be between {} and {}"
                    .format(*EXPIRY_DAYS))])
    language = ChoiceField("Language for the survey", "Select a language", default="en",
                           choices=choices(LANGUAGES.items()))


class MonthField(ChoiceField):
    """A month from the choices. One that is not offered but is a month (not yet
    published, or no longer kept) gets the message why_not(month) gives, set by the
    view with the choices; anything else the field's own message."""

    def why_not(self, _month):
        return None

    def pre_validate(self, form):
        if self.data not in {choice.value for choice in self.iter_choices()}:
            raise ValidationError(self.why_not(self.data) or self.invalid_message)


class PeriodForm(FlaskForm):
    """Whole months, then filters. A GET form for reading: it changes nothing."""

    class Meta:
        csrf = False

    from_month = MonthField("From", "Select the first month")
    to_month = MonthField("To", "Select the last month")
    stage = ChoiceField("Journey stage", "Select a journey stage")

    def validate_to_month(self, field):
        if field.data and self.from_month.data and field.data < self.from_month.data:
            raise ValidationError("The last month must be the same as or after the first month")


class DashboardForm(PeriodForm):
    borough = ChoiceField("Borough", "Select a borough")
    team = ChoiceField("Team or unit", "Select a team or unit")
    group = ChoiceField("Crime category group", "Select a crime category group")
    channel = ChoiceField("How the link was given", "Select how the link was given")
    language = ChoiceField("Language", "Select a language")

    def filters(self):
        return {name: self[name].data for name in FILTER_NAMES if self[name].data}


FILTER_NAMES = ("stage", "borough", "team", "group", "channel", "language")


class CommentsForm(PeriodForm):
    borough = ChoiceField("Area (borough)", "Select an area")
    team = ChoiceField("Team or unit", "Select a team or unit")
    group = ChoiceField("Crime category group", "Select a crime category group")
    theme = ChoiceField("Theme", "Select a theme")
    # Matched against the redacted text only; never logged or audited (see the view).
    words = StringField("Words in the comment", filters=[lambda text: (text or "").strip()],
                        validators=[Length(max=100, message="Enter 100 characters or fewer"
                                                            " to search for")])
    rating = ChoiceField("Overall satisfaction", "Select how satisfied people were overall",
                         choices=choices([("", "All"), ("satisfied", "Very or fairly satisfied"),
                                          ("neither", "Neither"),
                                          ("dissatisfied", "Fairly or very dissatisfied")]))
    page = WholeNumberField("Page", "Enter the page as a number", default=1,
                            validators=[NumberRange(1, 100_000, "Enter a page number from 1")])


class RemoveCommentForm(FlaskForm):
    response = StringField(validators=[DataRequired(), Length(max=64)])
    question = StringField(validators=[DataRequired(), Length(max=64)])
    detail = StringField("Text to remove", validators=[
        Length(max=2000, message="The text to remove must be shorter than the comment")])
    scope = ChoiceField("What to remove", "Choose what to remove",
                        choices=choices([("detail", "This text"), ("all", "The whole comment")]))


class ExportForm(FlaskForm):
    """Which file: a survey and an ended quarter, nothing finer (see kanon.py)."""

    class Meta:
        csrf = False  # choosing shows a page; the download itself is a POST with CSRF

    survey = ChoiceField("Survey", "Select a survey")
    quarter = ChoiceField("Quarter", "Select a quarter")


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


# Admin: accounts and the audit log ----------------------------------------

def _plain_name(label):
    """Team and borough appear on pages and in exports: accounts.check_name, the
    one rule the CLI uses too."""
    def check(_form, field):
        try:
            field.data = accounts.check_name(label, field.data or "")
        except accounts.InvalidAccountDetail as error:
            raise ValidationError(str(error)) from None
    return check


def _email_address(_form, field):
    try:
        field.data = validate_email(field.data or "", check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValidationError("Enter an email address in the correct format, "
                              "like name@example.com") from None


class InviteForm(FlaskForm):
    email = EmailField("Email address", validators=[
        DataRequired("Enter the person's email address"), Length(max=254), _email_address])
    role = ChoiceField("Role", "Select a role", choices=choices(
        [("officer", "Officer"), ("trainer", "Trainer"), ("admin", "Administrator")]))
    team = StringField("Team or unit (officers)", validators=[Optional(), _plain_name("Team")])
    new_team = BooleanField("This is a new team")
    borough = StringField("Borough (officers)", validators=[Optional(),
                                                            _plain_name("Borough")])


class RoleForm(FlaskForm):
    role = InviteForm.role


class TeamForm(FlaskForm):
    team = InviteForm.team
    new_team = InviteForm.new_team
    borough = InviteForm.borough


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token to check."""


class ApiClientForm(FlaskForm):
    """A case system that may call the API: its name, what it may do, how long its key
    lasts. feedback.usecases.api_clients checks the rules; this only reads the form."""

    name = StringField("Name of the case system", validators=[
        DataRequired("Enter the case system's name"), Length(max=60)])
    days = WholeNumberField(
        "Days until the key expires", f"Enter the number of days as a number, like {KEY_DAYS}",
        default=KEY_DAYS, validators=[InputRequired("Enter the number of days until the key"
                                               " expires")])


class GroupRoleForm(FlaskForm):
    """A group of the single sign-on provider, and the role its members get."""
    group = StringField("Group name or id", validators=[
        DataRequired("Enter the group's name or id, as your organisation sends it"),
        Length(max=MAX_GROUP_LENGTH,
               message=f"Enter a group name or id of {MAX_GROUP_LENGTH} characters or fewer")])
    role = InviteForm.role


class SetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[
        DataRequired("Enter a password"),
        Length(min=12, message="Your password must be 12 characters or more"),
        Length(max=128, message="Your password must be 128 characters or fewer")])
    confirm = PasswordField("Confirm the password", validators=[
        DataRequired("Enter the password again"),
        EqualTo("password", message="Enter the same password twice")])


class DayField(_SaysHowToFixIt, DateField):
    pass


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a search: it changes nothing

    action = ChoiceField("Action", "Select an action", validators=[Optional()])
    user = ChoiceField("Account", "Select an account", validators=[Optional()])
    since = DayField("From date", "Enter the from date as a date, like 2026-01-31",
                     validators=[Optional()])
    until = DayField("To date", "Enter the to date as a date, like 2026-02-28",
                     validators=[Optional()])

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The to date must be the same as or after the from date")
