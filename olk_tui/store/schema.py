"""The cache schema as numbered migrations on ``PRAGMA user_version``.

``MIGRATIONS[n - 1]`` takes a database from version ``n - 1`` to ``n``. Never edit a released
migration: append a new one. Message rows are keyed by ``rk``, an integer that follows the
received time (``received_ms * 4096 + small tiebreak``), so ``ORDER BY rk`` is received order,
every ``(folder_id, X)`` index is already sorted by received time, keyset paging is ``rk < ?``,
and the FTS table shares the same rowid so "newest 50 matches" reads 50 rows.
"""

from __future__ import annotations

_V1_MAIL = """
CREATE TABLE folders (
    id TEXT PRIMARY KEY,
    parent_id TEXT,
    display_name TEXT NOT NULL DEFAULT '',
    well_known TEXT,
    child_folder_count INTEGER NOT NULL DEFAULT 0,
    unread_count INTEGER NOT NULL DEFAULT 0,
    total_count INTEGER NOT NULL DEFAULT 0,
    is_hidden INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX folders_parent ON folders(parent_id);

-- Local counts of cached rows, kept by triggers so nothing ever runs count(*) on a folder.
CREATE TABLE folder_counts (
    folder_id TEXT PRIMARY KEY,
    total INTEGER NOT NULL DEFAULT 0,
    unread INTEGER NOT NULL DEFAULT 0,
    flagged INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE messages (
    rk INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    folder_id TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    sender_name TEXT, sender_address TEXT,
    from_name TEXT, from_address TEXT,
    to_json TEXT NOT NULL DEFAULT '[]',
    cc_json TEXT NOT NULL DEFAULT '[]',
    preview TEXT NOT NULL DEFAULT '',
    received TEXT, sent TEXT,
    is_read INTEGER NOT NULL DEFAULT 1,
    is_draft INTEGER NOT NULL DEFAULT 0,
    flag_status TEXT NOT NULL DEFAULT 'notFlagged',
    flag_start TEXT, flag_due TEXT, flag_completed TEXT,
    importance TEXT NOT NULL DEFAULT 'normal',
    categories_json TEXT NOT NULL DEFAULT '[]',
    has_attachments INTEGER NOT NULL DEFAULT 0,
    conversation_id TEXT NOT NULL DEFAULT '',
    internet_message_id TEXT NOT NULL DEFAULT '',
    web_link TEXT NOT NULL DEFAULT '',
    odata_type TEXT NOT NULL DEFAULT '',
    meeting_message_type TEXT NOT NULL DEFAULT '',
    change_key TEXT NOT NULL DEFAULT ''
);
CREATE INDEX messages_folder ON messages(folder_id);
CREATE INDEX messages_folder_read ON messages(folder_id, is_read);
CREATE INDEX messages_folder_flag ON messages(folder_id, flag_status);
CREATE INDEX messages_folder_att ON messages(folder_id, has_attachments);
CREATE INDEX messages_folder_from ON messages(folder_id, from_address COLLATE NOCASE);
CREATE INDEX messages_from ON messages(from_address COLLATE NOCASE);
CREATE INDEX messages_imid ON messages(internet_message_id);
CREATE INDEX messages_conv ON messages(conversation_id);

CREATE TRIGGER messages_ai AFTER INSERT ON messages BEGIN
    INSERT INTO folder_counts(folder_id) VALUES (new.folder_id) ON CONFLICT DO NOTHING;
    UPDATE folder_counts SET total = total + 1, unread = unread + (new.is_read = 0),
        flagged = flagged + (new.flag_status = 'flagged') WHERE folder_id = new.folder_id;
END;
CREATE TRIGGER messages_ad AFTER DELETE ON messages BEGIN
    UPDATE folder_counts SET total = total - 1, unread = unread - (old.is_read = 0),
        flagged = flagged - (old.flag_status = 'flagged') WHERE folder_id = old.folder_id;
END;
CREATE TRIGGER messages_au AFTER UPDATE OF folder_id, is_read, flag_status ON messages BEGIN
    UPDATE folder_counts SET total = total - 1, unread = unread - (old.is_read = 0),
        flagged = flagged - (old.flag_status = 'flagged') WHERE folder_id = old.folder_id;
    INSERT INTO folder_counts(folder_id) VALUES (new.folder_id) ON CONFLICT DO NOTHING;
    UPDATE folder_counts SET total = total + 1, unread = unread + (new.is_read = 0),
        flagged = flagged + (new.flag_status = 'flagged') WHERE folder_id = new.folder_id;
END;

CREATE VIRTUAL TABLE messages_fts USING fts5(
    sender, recipients, subject, preview, body, tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE bodies (
    message_id TEXT PRIMARY KEY,
    content_type TEXT NOT NULL DEFAULT 'text',
    content TEXT NOT NULL DEFAULT '',
    extra_json TEXT NOT NULL DEFAULT '{}',
    raw_json TEXT,
    fetched_at TEXT NOT NULL DEFAULT ''
);
CREATE TABLE attachments (
    message_id TEXT NOT NULL,
    id TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    data_json TEXT NOT NULL,
    PRIMARY KEY (message_id, id)
);

CREATE TABLE delta_links (
    scope TEXT PRIMARY KEY,
    link TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT ''
);
CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

_V2_CALENDAR_CONTACTS = """
CREATE TABLE calendars (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL DEFAULT 0,
    data_json TEXT NOT NULL
);
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    calendar_id TEXT,
    start_utc TEXT NOT NULL,
    end_utc TEXT NOT NULL,
    series_master_id TEXT,
    data_json TEXT NOT NULL
);
CREATE INDEX events_start ON events(start_utc);
CREATE INDEX events_end ON events(end_utc);
-- Windows whose occurrences were fetched (so a cached week is known to be complete).
CREATE TABLE event_windows (
    start_utc TEXT NOT NULL,
    end_utc TEXT NOT NULL,
    fetched_at TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (start_utc, end_utc)
);
CREATE TABLE contact_folders (
    id TEXT PRIMARY KEY,
    parent_id TEXT,
    display_name TEXT NOT NULL DEFAULT ''
);
CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    folder_id TEXT,
    display_name TEXT NOT NULL DEFAULT '',
    search_text TEXT NOT NULL DEFAULT '',
    data_json TEXT NOT NULL
);
CREATE INDEX contacts_name ON contacts(display_name COLLATE NOCASE);
"""

_V3_QUEUE_OUTBOX = """
CREATE TABLE op_queue (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    op_json TEXT NOT NULL,
    snapshot_json TEXT NOT NULL DEFAULT '[]',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT ''
);
CREATE TABLE undo_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    op_json TEXT NOT NULL,
    inverse_json TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT ''
);
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    draft_json TEXT NOT NULL,
    server_id TEXT,
    internet_message_id TEXT,
    uploaded_json TEXT NOT NULL DEFAULT '[]',
    error TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT ''
);
CREATE TABLE local_drafts (
    key TEXT PRIMARY KEY,
    draft_json TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT ''
);
"""

_V4_WINDOW_MEMBERS = """
-- Which fetched calendar window holds which event occurrence: a window's delta tombstone
-- means "no longer in this window", so an event row goes only when no window holds it.
CREATE TABLE event_window_members (
    start_utc TEXT NOT NULL,
    end_utc TEXT NOT NULL,
    event_id TEXT NOT NULL,
    PRIMARY KEY (start_utc, end_utc, event_id)
);
CREATE INDEX event_window_members_event ON event_window_members(event_id);
INSERT OR IGNORE INTO event_window_members (start_utc, end_utc, event_id)
    SELECT w.start_utc, w.end_utc, e.id FROM events e JOIN event_windows w
    ON e.start_utc < w.end_utc AND e.end_utc >= w.start_utc;
"""

_V5_LAST_VERB = """
-- Replied / replied all / forwarded (PidTagLastVerbExecuted) and when. ADD COLUMN with a
-- constant default rewrites no row: O(1) on a 100,000-message cache.
ALTER TABLE messages ADD COLUMN last_verb TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN last_verb_time TEXT;
"""

#: A message joins its conversation (the row is made or grown) / leaves it (shrunk, its
#: head or tail found again, dropped when empty): the triggers below are made of these.
_CONV_JOIN = """
    INSERT INTO conversations (folder_id, conv_key, head_rk, tail_rk, size)
        VALUES (new.folder_id, CASE WHEN new.conversation_id = '' THEN new.id
            ELSE new.conversation_id END, new.rk, new.rk, 1)
        ON CONFLICT (folder_id, conv_key) DO UPDATE SET
        head_rk = max(head_rk, excluded.head_rk), tail_rk = min(tail_rk, excluded.tail_rk),
        size = size + 1;
"""
_CONV_LEAVE = """
    UPDATE conversations SET size = size - 1,
        head_rk = CASE WHEN head_rk <> old.rk THEN head_rk ELSE
            coalesce((SELECT max(rk) FROM messages
            WHERE conversation_id = old.conversation_id AND folder_id = old.folder_id
            AND old.conversation_id <> ''), 0) END,
        tail_rk = CASE WHEN tail_rk <> old.rk THEN tail_rk ELSE
            coalesce((SELECT min(rk) FROM messages
            WHERE conversation_id = old.conversation_id AND folder_id = old.folder_id
            AND old.conversation_id <> ''), 0) END
        WHERE folder_id = old.folder_id AND conv_key =
            CASE WHEN old.conversation_id = '' THEN old.id ELSE old.conversation_id END;
    DELETE FROM conversations WHERE folder_id = old.folder_id AND size <= 0
        AND conv_key =
            CASE WHEN old.conversation_id = '' THEN old.id ELSE old.conversation_id END;
"""

_V6_CONVERSATIONS = """
-- One row per conversation of each folder (key: conversationId, or the message id when it
-- has none) with its newest and oldest row keys and its size, kept by triggers: the
-- conversation view pages through heads by index as the message list pages through rows.
-- Filling it is one pass over the cache (about 0.2 s at 100,000 messages).
CREATE TABLE conversations (
    folder_id TEXT NOT NULL,
    conv_key TEXT NOT NULL,
    head_rk INTEGER NOT NULL,
    tail_rk INTEGER NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (folder_id, conv_key)
) WITHOUT ROWID;
CREATE INDEX conversations_head ON conversations(folder_id, head_rk, size);
CREATE INDEX conversations_tail ON conversations(folder_id, tail_rk, size);
INSERT INTO conversations (folder_id, conv_key, head_rk, tail_rk, size)
    SELECT folder_id, CASE WHEN conversation_id = '' THEN id ELSE conversation_id END,
    max(rk), min(rk), count(*) FROM messages GROUP BY 1, 2;
"""
_V6_CONVERSATIONS += ("""
CREATE TRIGGER messages_conv_ai AFTER INSERT ON messages BEGIN
{join}END;
CREATE TRIGGER messages_conv_ad AFTER DELETE ON messages BEGIN
{leave}END;
CREATE TRIGGER messages_conv_au AFTER UPDATE OF folder_id, conversation_id ON messages
WHEN old.folder_id IS NOT new.folder_id OR old.conversation_id IS NOT new.conversation_id
BEGIN
{leave}{join}END;
""").format(join=_CONV_JOIN.lstrip("\n"), leave=_CONV_LEAVE.lstrip("\n"))


#: Each entry upgrades the database by one version.
MIGRATIONS: tuple[str, ...] = (_V1_MAIL, _V2_CALENDAR_CONTACTS, _V3_QUEUE_OUTBOX,
                               _V4_WINDOW_MEMBERS, _V5_LAST_VERB, _V6_CONVERSATIONS)

SCHEMA_VERSION = len(MIGRATIONS)
