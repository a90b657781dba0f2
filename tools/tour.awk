#!/usr/bin/gawk -f
# tour.awk - `make tour`: the reading order through the code, generated
# from the numbered list under "## Reading order through the code" in
# docs/README.md (that list is the only copy), one line per stop:
#
#   NN. FILE[, FILE...]  (LINES lines) - what to look for there
#
# Each file named in backquotes is looked up (a bare name such as
# `mmuext_op.c` is taken in the directory of the stop's first file) and
# its line count printed; a missing file is reported and makes the exit
# status 1, so a renamed file cannot leave the tour stale.
/^## / { in_list = ($0 ~ /^## Reading order through the code/); next }
in_list && /^[0-9]+\. / {
    n = $1; sub(/\.$/, "", n)
    rest = substr($0, index($0, " ") + 1)
    # The summary follows the last "`: "; the files are the `...` before it.
    split_at = index(rest, "`: ")
    while (split_at && index(substr(rest, split_at + 3), "`: ")) 
        split_at += index(substr(rest, split_at + 3), "`: ") + 2
    files = substr(rest, 1, split_at)
    summary = substr(rest, split_at + 3)
    lines = 0; names = ""; dir = ""
    while (match(files, /`[^`]+`/)) {
        f = substr(files, RSTART + 1, RLENGTH - 2)
        files = substr(files, RSTART + RLENGTH)
        path = f
        if (f !~ /\//) path = dir f
        else { dir = f; sub(/[^\/]*$/, "", dir) }
        cnt = 0
        while ((getline l < (root path)) > 0) cnt++
        close(root path)
        if (cnt == 0) { printf "tour: %s (stop %s) is missing\n", path, n > "/dev/stderr"; bad = 1 }
        lines += cnt
        names = names (names == "" ? "" : ", ") path
    }
    printf "%2d. %s  (%d lines) - %s\n", n, names, lines, summary
    stops++
}
END {
    if (!stops) { print "tour: no reading order found" > "/dev/stderr"; exit 1 }
    printf "%d stops, from docs/README.md\n", stops
    exit bad
}
