"""One module per CLI command group; each has ``add_arguments(parser, command)`` and ``run(args)``.

These modules wire the layers together (config, graph, store, sync, ui), as ``cli.py`` does.
"""
