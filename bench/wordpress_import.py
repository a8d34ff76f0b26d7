"""
How long `manage.py import_wordpress` takes on a large archive, and how much memory it needs.

    .venv/bin/python bench/wordpress_import.py          # SQLite, in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/wordpress_import.py

Writes an export of 20,000 posts and 200,000 comments (multi-paragraph bodies, 40 authors,
a hierarchy of 30 categories, 600 tags, threads of replies, held and spam comments,
pingbacks, drafts and trashed posts), migrates the database, then runs the import twice in
a child process: the first run imports everything, the second finds nothing changed.

Peak memory is the child's maximum resident set size (RSS), as the kernel reports it for
that process when it exits (`os.wait4`, `ru_maxrss`): the whole Python process, with Django
loaded. The database must hold no stories (use an empty PostgreSQL database). Not part of
the test suite. `--posts` and `--comments` change the sizes.
"""

import argparse
import itertools
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = "https://harbourtimes.example.org"
WORDS = str.split(
    "the council harbour plan residents vote years docks work starts ferry tide quay fishing "
    "boats mayor budget report school hospital road bridge market festival police court "
    "weather storm flood rail station housing rent prices jobs port cargo museum library "
    "election candidate campaign minister spending schools teachers nurses doctors"
)


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def sentence(rng, low=8, high=22):
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


def paragraph(rng):
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))


def write_export(path, *, posts, comments, seed=7):
    """A WordPress export of `posts` posts and `comments` comments, as a big newsroom's."""
    rng = random.Random(seed)
    authors = [f"writer{n}" for n in range(40)]
    categories = []
    for n in range(10):
        categories.append((f"section-{n}", f"Section {n}", ""))
        for child in range(2):
            categories.append((f"section-{n}-{child}", f"Section {n}.{child}", f"section-{n}"))
    tags = [f"topic-{n}" for n in range(600)]
    # Comments spread over every post, with a third of them on the busiest 5 %.
    per_post = [0] * posts
    busiest = max(1, posts // 20)
    for _ in range(comments):
        busy = rng.random() < 0.3
        per_post[rng.randrange(busiest) * 20 % posts if busy else rng.randrange(posts)] += 1
    comment_ids = itertools.count(1)
    with path.open("w", encoding="utf-8") as out:
        write_channel(out, authors, categories, tags)
        for number in range(posts):
            date = write_post(out, rng, number, posts, authors, categories, tags)
            write_comments(out, rng, date, [next(comment_ids) for _ in range(per_post[number])])
            out.write("</item>\n")
        out.write("</channel>\n</rss>\n")


def write_channel(out, authors, categories, tags):
    out.write(
        '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
        'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
        f"<title>The Harbour Times</title><link>{SITE}</link>\n"
        f"<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>{SITE}</wp:base_site_url>"
        f"<wp:base_blog_url>{SITE}</wp:base_blog_url>\n"
    )
    for login in authors:
        out.write(
            f"<wp:author><wp:author_login>{cdata(login)}</wp:author_login>"
            f"<wp:author_display_name>{cdata(login.title())}</wp:author_display_name>"
            "</wp:author>\n"
        )
    for term_id, (slug, name, parent) in enumerate(categories, start=1):
        out.write(
            f"<wp:category><wp:term_id>{term_id}</wp:term_id>"
            f"<wp:category_nicename>{cdata(slug)}</wp:category_nicename>"
            f"<wp:category_parent>{cdata(parent)}</wp:category_parent>"
            f"<wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>\n"
        )
    for term_id, slug in enumerate(tags, start=1000):
        out.write(
            f"<wp:tag><wp:term_id>{term_id}</wp:term_id><wp:tag_slug>{cdata(slug)}"
            f"</wp:tag_slug><wp:tag_name>{cdata(slug.replace('-', ' ').title())}"
            "</wp:tag_name></wp:tag>\n"
        )


def post_body(rng, number):
    body = "\n\n".join(paragraph(rng) for _ in range(rng.randint(4, 9)))
    if number % 5 == 0:
        return (
            "<!-- wp:paragraph -->\n<p>"
            + "</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:paragraph -->\n<p>".join(body.split("\n\n"))
            + "</p>\n<!-- /wp:paragraph -->"
        )
    if number % 7 == 0:
        return body + '\n\n[su_note note_color="#fff"]Correction appended later.[/su_note]'
    return body


def write_post(out, rng, number, posts, authors, categories, tags):
    """One post's item, up to its comments; returns its date."""
    post_id = number + 1
    status = rng.choices(
        ["publish", "draft", "pending", "future", "private", "trash"],
        weights=[90, 4, 2, 1, 1, 2],
    )[0]
    year = 2010 + number * 14 // posts
    date = (
        f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
        f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00"
    )
    if status == "future":
        date = "2099-01-01 08:00:00"
    date_gmt = "0000-00-00 00:00:00" if status == "draft" else date
    slug = f"story-{post_id}"
    link = f"{SITE}/{date[:10].replace('-', '/')}/{slug}/"
    body = post_body(rng, number)
    category = rng.choice(categories)[0]
    terms = f'<category domain="category" nicename="{category}">{cdata(category)}</category>'
    for slug_tag in rng.sample(tags, rng.randint(1, 5)):
        terms += f'<category domain="post_tag" nicename="{slug_tag}">{cdata(slug_tag)}</category>'
    out.write(
        f"<item><title>{cdata(sentence(rng, 5, 12)[:-1])}</title><link>{link}</link>"
        f"<dc:creator>{cdata(rng.choice(authors))}</dc:creator>"
        f"<content:encoded>{cdata(body)}</content:encoded>"
        f"<excerpt:encoded>{cdata(sentence(rng))}</excerpt:encoded>"
        f"<wp:post_id>{post_id}</wp:post_id><wp:post_date>{cdata(date)}</wp:post_date>"
        f"<wp:post_date_gmt>{cdata(date_gmt)}</wp:post_date_gmt>"
        f"<wp:comment_status>open</wp:comment_status><wp:post_name>{cdata(slug)}</wp:post_name>"
        f"<wp:status>{status}</wp:status><wp:post_parent>0</wp:post_parent>"
        f"<wp:post_type>post</wp:post_type>{terms}"
    )
    return date


def write_comments(out, rng, date, comment_ids):
    thread_ids = []
    for comment_id in comment_ids:
        parent = rng.choice(thread_ids) if thread_ids and rng.random() < 0.35 else 0
        thread_ids.append(comment_id)
        kind = rng.choices(["", "pingback"], weights=[98, 2])[0]
        approved = rng.choices(["1", "0", "spam", "trash"], weights=[85, 5, 8, 2])[0]
        out.write(
            f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
            f"<wp:comment_author>{cdata(f'Reader {comment_id % 5000}')}</wp:comment_author>"
            f"<wp:comment_author_email>reader{comment_id % 5000}@example.org"
            "</wp:comment_author_email>"
            "<wp:comment_author_url></wp:comment_author_url>"
            f"<wp:comment_author_IP>198.51.{comment_id % 250}.{comment_id % 200}"
            "</wp:comment_author_IP>"
            f"<wp:comment_date>{cdata(date)}</wp:comment_date>"
            f"<wp:comment_date_gmt>{cdata(date)}</wp:comment_date_gmt>"
            f"<wp:comment_content>{cdata(paragraph(rng))}</wp:comment_content>"
            f"<wp:comment_approved>{approved}</wp:comment_approved>"
            f"<wp:comment_type>{kind}</wp:comment_type>"
            f"<wp:comment_parent>{parent}</wp:comment_parent>"
            "<wp:comment_agent>Mozilla/5.0 (X11; Linux x86_64)</wp:comment_agent>"
            "</wp:comment>"
        )


def run_child(command, env):
    """Run a command; return (seconds, peak RSS in MB, its output)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed:\n{output}")
    return seconds, usage.ru_maxrss / 1024, output


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--comments", type=int, default=200_000)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ)
        env.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
        # Production settings: with DEBUG on, Django keeps the last 9,000 queries' SQL.
        env.update(
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY="bench-" + "x" * 50,
            DJANGO_ALLOWED_HOSTS="localhost",
            DJANGO_HTTPS="false",
        )
        export = Path(folder) / "export.xml"
        started = time.perf_counter()
        write_export(export, posts=options.posts, comments=options.comments)
        print(
            f"export: {options.posts:,} posts, {options.comments:,} comments, "
            f"{export.stat().st_size / 1e6:.0f} MB, "
            f"written in {time.perf_counter() - started:.0f} s"
        )
        print(f"database: {env['DATABASE_URL'].split('@')[-1]}", flush=True)
        python = sys.executable
        run_child([python, "manage.py", "migrate", "--noinput", "-v", "0"], env)
        check = "from articles.models import Article; print(Article.objects.count())"
        _seconds, _rss, output = run_child([python, "manage.py", "shell", "-c", check], env)
        if output.split()[-1] != "0":
            sys.exit("The database already holds stories: use an empty database.")
        for label in ("first run", "second run"):
            seconds, rss, output = run_child(
                [python, "manage.py", "import_wordpress", str(export)], env
            )
            print(f"\n{label}: {seconds:.0f} s, peak RSS {rss:.0f} MB")
            print("\n".join(output.splitlines()[:10]))


if __name__ == "__main__":
    main()
