"""
The stories' admin: the story form and list (stories.py, its form in story_form.py, its
bylines and corrections in story_parts.py, its revisions and presence pages in
story_pages.py), sections, authors, tags and old addresses (taxonomy.py), and the stories'
panels on the desk (desk.py).
"""

from . import desk, stories, taxonomy

__all__ = ["desk", "stories", "taxonomy"]
