"""Users pressing the same button at the same moment: one thread each, on its own database
connection and transaction, all released together by a barrier."""

import threading

from django.db import connection

from core.errors import Refused


def race(action, users) -> tuple[list, list[Refused], list[BaseException]]:
    """Run `action(user)` for every user at once; returns (results, refusals, other errors)."""
    barrier = threading.Barrier(len(users))
    done, refused, errors = [], [], []

    def work(user) -> None:
        try:
            barrier.wait(timeout=30)
            done.append(action(user))
        except Refused as refusal:
            refused.append(refusal)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return done, refused, errors
