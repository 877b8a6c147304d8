"""Repositories the UI talks to: reads from the cache at once, refreshed by delta in the
background; every change is an operation applied locally, queued durably, sent, then confirmed
or reverted. See ``olk_tui.sync.api`` for the contract the UI binds to.

Entry point: ``olk_tui.sync.account.build_account(config_or_name, graph_client, store_or_path)``
returns a ``sync.api.Account`` (``await account.start()``, ``await account.close()``); its
``services`` attribute (``AccountServices``) exposes the parts tests drive directly: ``engine``
(``run_pass``), ``mail_sync``, ``pim_sync``, ``runner`` (``run_once``), ``sender``
(``run_once``), ``store`` (``AsyncStore``), ``status``, ``announcer``.

Modules: ``mailrepo``/``pimrepo``/``outboxrepo`` (the repositories), ``localops`` (optimistic
changes, inverses, reverts), ``planner`` (coalescing into requests), ``runner``/``itemops``
(sending the queue), ``mailsync``/``pimsync``/``engine`` (delta sync), ``outbox`` (the sender),
``windows`` (offset windows at keyset cost), ``loop``/``status``/``announce`` (plumbing).
"""
