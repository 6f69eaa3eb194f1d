"""`jzleader serve`: the page and the API for officers who never open a terminal (issue 15).

Every job runs the command line in a child process, inside a private temporary folder that holds the
uploaded files and is deleted when the request ends: the JSON the page and a script receive is the
command line's own document, byte for byte, and a file that kills a reader costs that request, never
the server. Nothing is fetched from the network: the page, its script and its style are in the package.
"""
