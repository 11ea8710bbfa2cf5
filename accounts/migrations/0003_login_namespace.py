# The login namespace: one user per username or e-mail, case-insensitively, across both fields.

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models.functions import Lower


def clear_emails_naming_another_user(apps, schema_editor):
    """An e-mail equal to another user's username (the way a login was taken, issue 8) is cleared:
    the username was there to log in with; the e-mail is re-entered from Settings if wanted."""
    User = apps.get_model("accounts", "User")
    usernames = User.objects.annotate(lower=Lower("username")).values("lower")
    clashing = User.objects.exclude(email="").annotate(lower_email=Lower("email")).filter(lower_email__in=usernames)
    for user in clashing:
        if User.objects.filter(username__iexact=user.email).exclude(pk=user.pk).exists():
            User.objects.filter(pk=user.pk).update(email="")


# PostgreSQL: a username may not be another user's e-mail, nor an e-mail another user's username.
# The advisory lock serialises writers, so two concurrent inserts cannot both pass the check.
TRIGGER = """
CREATE FUNCTION accounts_user_login_name_free() RETURNS trigger AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('accounts_user_login_name'));
    IF EXISTS (
        SELECT 1 FROM accounts_user other
        WHERE other.id <> NEW.id
          AND (lower(other.email) = lower(NEW.username)
               OR (NEW.email <> '' AND lower(other.username) = lower(NEW.email)))
    ) THEN
        RAISE EXCEPTION 'login name already in use'
            USING ERRCODE = 'unique_violation', CONSTRAINT = 'user_login_name_unique';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER accounts_user_login_name_free
    BEFORE INSERT OR UPDATE OF username, email ON accounts_user
    FOR EACH ROW EXECUTE FUNCTION accounts_user_login_name_free();
"""
DROP_TRIGGER = """
DROP TRIGGER IF EXISTS accounts_user_login_name_free ON accounts_user;
DROP FUNCTION IF EXISTS accounts_user_login_name_free();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_order_entry_and_over_refund_perms"),
    ]

    operations = [
        migrations.RunPython(clear_emails_naming_another_user, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower('username'), name='user_username_unique_ci', violation_error_message='That username or e-mail cannot be used; choose another.'),
        ),
        migrations.AlterConstraint(
            model_name='user',
            name='user_email_unique_ci',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower('email'), condition=models.Q(('email', ''), _negated=True), name='user_email_unique_ci', violation_error_message='That username or e-mail cannot be used; choose another.'),
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
