"""
The search index's PostgreSQL triggers as migration 0007 first built them: a tsvector per
story and nothing else. Migration 0018 replaces them with those of articles/search_index.py,
which also copy the columns ranking reads; 0007 must not install those, since their columns do
not exist yet when it runs. (Migrations do not load modules whose names start with "_".)
"""

TRIGGERS = """
CREATE OR REPLACE FUNCTION articles_search_vector(
    headline text, kicker text, standfirst text, dateline text, body_text text
) RETURNS tsvector AS $$
    SELECT setweight(to_tsvector('english', coalesce(headline, '')), 'A')
        || setweight(to_tsvector('english', concat_ws(' ', kicker, standfirst, dateline)), 'B')
        || setweight(to_tsvector('english', coalesce(body_text, '')), 'C')
$$ LANGUAGE sql IMMUTABLE;

CREATE OR REPLACE FUNCTION articles_search_document_write() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.id <> NEW.id) THEN
        DELETE FROM articles_postgressearchdocument WHERE article_id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO articles_postgressearchdocument (article_id, document)
        VALUES (NEW.id, articles_search_vector(
            NEW.headline, NEW.kicker, NEW.standfirst, NEW.dateline, NEW.body_text
        ))
        ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE TRIGGER articles_search_insert
    AFTER INSERT ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_search_document_write();
CREATE OR REPLACE TRIGGER articles_search_update
    AFTER UPDATE OF id, headline, kicker, standfirst, dateline, body_text ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_search_document_write();
CREATE OR REPLACE TRIGGER articles_search_delete
    AFTER DELETE ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_search_document_write();
"""

FILL = """
INSERT INTO articles_postgressearchdocument (article_id, document)
SELECT id, articles_search_vector(headline, kicker, standfirst, dateline, body_text)
FROM articles_article
ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document
"""
