"""Command line, by noun: ``flask users …``, ``flask roles …``, ``flask demo …``."""

from __future__ import annotations

import logging

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from tracker.audit import set_actor
from tracker.extensions import db
from tracker.models import Role, User

users_cli = AppGroup("users", help="Manage user accounts.")
roles_cli = AppGroup("roles", help="Manage roles and grants.")
demo_cli = AppGroup("demo", help="Demo data for trying Tracker out.")
jobs_cli = AppGroup("jobs", help="The job queue: run a worker, see what is queued.")
search_cli = AppGroup("search", help="The search index.")


@roles_cli.command("seed")
def roles_seed() -> None:
    """Create the default roles that are missing (edited roles are left alone)."""
    from tracker.accounts.services import seed_default_roles

    set_actor(db.session, None)
    created = seed_default_roles()
    db.session.commit()
    click.echo(f"{len(created)} role(s) created.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", default=None, help="Display name (defaults to the email's name).")
@click.option("--role", "roles", multiple=True, required=True,
              help="Role key, e.g. admin; repeat for several.")
@click.option("--password", default=None,
              help="Initial password; without it a temporary one is printed.")
def users_create(email: str, name: str | None, roles: tuple[str, ...],
                 password: str | None) -> None:
    """Create a user with one or more roles."""
    from tracker.accounts.services import create_user, seed_default_roles

    set_actor(db.session, None)
    seed_default_roles()
    known = set(db.session.scalars(sa.select(Role.name)))
    unknown = sorted(set(roles) - known)
    if unknown:
        raise click.BadParameter(f"unknown role(s): {', '.join(unknown)}; "
                                 f"known: {', '.join(sorted(known))}", param_hint="--role")
    if db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.lower())):
        raise click.BadParameter(f"{email} already exists", param_hint="--email")
    user, given = create_user(email, name or email.split("@")[0], list(roles), password,
                              must_change=password is None)
    db.session.commit()
    click.echo(f"Created {user.email} with roles {', '.join(sorted(roles))}.")
    if password is None:
        click.echo(f"Temporary password (must be changed at first sign-in): {given}")


@users_cli.command("list")
def users_list() -> None:
    """List users with their roles."""
    for user in db.session.scalars(sa.select(User).order_by(User.email)):
        state = "active" if user.is_active else "inactive"
        click.echo(f"{user.email}\t{user.name}\t{state}\t{','.join(r.name for r in user.roles)}")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when users already exist.")
def demo_load(if_empty: bool) -> None:
    """Load the bilingual demo (tracker/demo/data/) through the services, area by area."""
    import time

    from tracker.demo import load_demo

    if if_empty and db.session.scalar(sa.select(sa.func.count(User.id))):
        click.echo("Database already has users; demo data not loaded.")
        return
    started = time.monotonic()

    def progress(area: str, added: dict[str, int]) -> None:
        click.echo(f"  {area:<10} {_counts(added)}  ({time.monotonic() - started:.1f} s)")

    click.echo("Loading the demo data …")
    summary = load_demo(progress)
    db.session.commit()
    click.echo(f"Demo data loaded: {_counts(summary)}")


@search_cli.command("reindex")
@click.option("--if-empty", is_flag=True,
              help="Only when the index is empty (a database from before search).")
def search_reindex(if_empty: bool) -> None:
    """Rebuild the search index from every record, with a progress bar."""
    import time

    from tracker.models import SearchDocument
    from tracker.search import index

    if if_empty and db.session.scalar(sa.select(SearchDocument.id).limit(1)) is not None:
        click.echo("The search index is in place.")
        return

    started = time.monotonic()
    conn = db.session.connection()
    with click.progressbar(length=index.id_span(conn), label="Indexing",
                           show_pos=True, show_percent=True) as bar:
        written = index.reindex(conn, bar.update)
    db.session.commit()
    click.echo(f"{written} documents indexed in {time.monotonic() - started:.1f} s "
               f"({index.size_text(db.session.connection())}).")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {name}" for name, n in counts.items())


@jobs_cli.command("worker")
@click.option("--workers", default=2, show_default=True, help="Threads running jobs.")
@click.option("--no-periodic", is_flag=True,
              help="Run queued jobs only; another worker schedules the periodic sweeps.")
def jobs_worker(workers: int, no_periodic: bool) -> None:
    """Run queued jobs (mail, escalations, digests, reminders) until stopped."""
    from flask import current_app

    queue = current_app.extensions["tracker_jobs"]
    if queue.huey.immediate:
        raise click.UsageError("JOBS_QUEUE_URL=immediate runs jobs in-process: no worker.")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("huey").setLevel(logging.WARNING)  # tracker.jobs logs each job once
    click.echo(f"jobs: {workers} worker thread(s) on {type(queue.huey).__name__}"
               f"{'' if no_periodic else ', with the periodic sweeps'}")
    queue.consumer(workers=workers, periodic=not no_periodic).run()


@jobs_cli.command("status")
def jobs_status() -> None:
    """How many jobs are in each state, and the latest failures."""
    from tracker.models import Job, JobState

    counts = dict(db.session.execute(
        sa.select(Job.state, sa.func.count()).group_by(Job.state)).all())
    click.echo("  ".join(f"{s.value}: {counts.get(s.value, 0)}" for s in JobState))
    for job in db.session.scalars(sa.select(Job).where(Job.state == JobState.FAILED.value)
                                  .order_by(Job.updated_at.desc()).limit(10)):
        click.echo(f"#{job.id} {job.kind} after {job.attempts} attempt(s): {job.last_error}")


@click.command("remind")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Run as if today were this date (for catching up).")
def remind(today: object) -> None:
    """Run the periodic sweeps now, in this process (the job worker runs them by itself:
    agreement date follow-ups, complaint escalations, digests)."""
    from datetime import date

    from tracker.models import utcnow
    from tracker.reminders import agreement_date_reminders, complaint_escalations

    set_actor(db.session, None)
    day = today.date() if today else date.today()
    created = agreement_date_reminders(day)
    db.session.commit()
    click.echo(f"{created} agreement reminder(s) created.")
    escalated = complaint_escalations(utcnow())
    db.session.commit()
    click.echo(f"{escalated} complaint deadline(s) escalated.")
    from tracker.digest import send_digests

    sent = send_digests(utcnow())  # commits per person, before any email goes out
    click.echo(f"{sent} digest(s) sent.")


def init_cli(app: Flask) -> None:
    """Register the command groups."""
    for group in (users_cli, roles_cli, demo_cli, jobs_cli, search_cli):
        app.cli.add_command(group)
    app.cli.add_command(remind)
