"""The --author-map file: which newsroom account writes as which WordPress author."""

import csv
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

HEADER = ["wp_login", "username"]


class AuthorMapError(ValueError):
    """The author map cannot be used; the message says which line and why."""


def read_author_map(path: Path) -> dict[str, AbstractBaseUser]:
    """
    A CSV file of `wp_login,username` lines (a first line naming the columns, blank lines
    and lines starting with # are ignored), read into {WordPress login: staff account}.
    Every username must be an existing, active staff account, each used once.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise AuthorMapError(f"Cannot read the author map {path}: {error.strerror}.") from None
    except UnicodeDecodeError:
        raise AuthorMapError(f"The author map {path} is not UTF-8 text.") from None

    wanted: dict[str, str] = {}
    for number, row in enumerate(csv.reader(text.splitlines()), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#") or (number == 1 and cells == HEADER):
            continue
        if len(cells) != 2 or not all(cells):
            raise AuthorMapError(
                f"Line {number} of the author map should be “wp_login,username”: {','.join(row)}"
            )
        login, username = cells
        if login in wanted:
            raise AuthorMapError(f"Line {number}: the login “{login}” is mapped twice.")
        wanted[login] = username

    User = get_user_model()
    users = {
        user.get_username(): user
        for user in User.objects.filter(**{f"{User.USERNAME_FIELD}__in": set(wanted.values())})
    }
    problems = []
    for login, username in wanted.items():
        user = users.get(username)
        if user is None:
            problems.append(f"no account “{username}” (for {login})")
        elif not (user.is_staff and user.is_active):
            problems.append(f"“{username}” is not an active staff account (for {login})")
    if len(set(wanted.values())) != len(wanted):
        problems.append("an account is mapped to two logins")
    if problems:
        raise AuthorMapError("The author map cannot be used: " + "; ".join(problems) + ".")
    return {login: users[username] for login, username in wanted.items()}
