#!/usr/bin/gawk -f
# pt-graph.awk - turn a 'p' debug-key dump (xen-like/mm/pt_dump.c) captured
# in a serial log into a Graphviz DOT graph of the page-table tree.
#
#   gawk -f tools/pt-graph.awk [-v dom=N] [-v maxruns=K] LOG > tree.dot
#   dot -Tsvg tree.dot > tree.svg           (or: make pt-graph LOG=... )
#
# The first dump of domain N (default: the first dump in LOG) is drawn:
#
#   - one box per table: level, gfn and mfn, type count; a pinned table has
#     a double border; a base pointer (cr3.vN / ucr3.vN) is named in it;
#   - an arrow per L4->L3, L3->L2, L2->L1 entry, labelled with the slot
#     (consecutive slots to consecutive tables are one arrow "[a-b]");
#     an entry naming a table of its own level (a linear entry) is dashed;
#   - the leaves of each L1, one note per run of entries: slots, gfns and
#     mfns, the frame type and the flags.  Green: RW data (type writable);
#     grey: RO data; orange: an RO mapping of a page-table frame (the
#     read-only rule made visible).  Those are all drawn; data runs, at
#     most maxruns (default 8) per L1, the rest summed in one more note.
#
# Lines may carry the "(XEN) " prefix and CRs of a serial log.
BEGIN {
    if (maxruns == "") maxruns = 8
    state = 0                 # 0: before the dump, 1: inside, 2: done
    ntables = 0
    fill[1] = "#dbe9f6"; fill[2] = "#c6dbef"; fill[3] = "#9ecae1"; fill[4] = "#6baed6"
}

{ sub(/\r$/, ""); sub(/^\(XEN\) /, "") }

state == 0 && $1 == "pt-dump" && $3 == "begin" {
    if (dom == "" || $2 == "d" dom) {
        state = 1
        domname = $2
        mode = $4; sub(/^mode=/, "", mode)
    }
    next
}
state != 1 { next }

$1 == "pt-dump" && $3 == "end" { state = 2; ends = $4 " " $5; next }

# table L4 gfn=0x1ff78 mfn=0x1ff78 tc=2 pinned=1 state=validated roots=cr3.v0
$1 == "table" {
    cur = kv("mfn")
    lvl = substr($2, 2) + 0
    ntables++
    level[cur] = lvl
    order[ntables] = cur
    gfn[cur] = kv("gfn"); tc[cur] = kv("tc"); pinned[cur] = kv("pinned")
    tstate[cur] = kv("state"); roots[cur] = kv("roots")
    nruns[cur] = 0
    next
}

# e 0x000-0x00a gfn=A-B mfn=C-D type=writable flags=RW,U,K   (or one slot)
$1 == "e" && cur != "" {
    n = ++nruns[cur]
    slot[cur, n] = $2
    rgfn[cur, n] = kv("gfn"); rmfn[cur, n] = kv("mfn")
    rtype[cur, n] = kv("type"); rflags[cur, n] = kv("flags")
    next
}

function kv(key,    i) {
    for (i = 1; i <= NF; i++)
        if (index($i, key "=") == 1)
            return substr($i, length(key) + 2)
    return ""
}

function first(r) { sub(/-.*/, "", r); return r }
function count(r,    a, b) {
    if (r !~ /-/) return 1
    a = r; sub(/-.*/, "", a); b = r; sub(/.*-/, "", b)
    a = strtonum(a); b = strtonum(b)
    return (a > b ? a - b : b - a) + 1
}
function node(m) { return "t" m }

END {
    if (state == 0) {
        print "pt-graph: no pt-dump" (dom != "" ? " of d" dom : "") " in the input" > "/dev/stderr"
        exit 1
    }
    if (state == 1)
        print "pt-graph: warning: the dump has no end line (truncated log?)" > "/dev/stderr"

    print "digraph pt {"
    printf "  label=\"%s page tables (%s mode): %s\\nbox: a table (gfn / mfn, tc = type count); double border: pinned; green: RW data; grey: RO data; orange: RO map of a page-table frame\";\n", domname, mode, ends
    print "  labelloc=t; rankdir=LR; nodesep=0.15; ranksep=0.6;"
    print "  node [fontname=\"monospace\", fontsize=10];"
    print "  edge [fontname=\"monospace\", fontsize=9];"

    for (i = 1; i <= ntables; i++) {
        m = order[i]
        lab = sprintf("L%d  gfn %s\\nmfn %s  tc=%s", level[m], gfn[m], m, tc[m])
        if (pinned[m] == 1) lab = lab "  pinned"
        if (tstate[m] != "validated") lab = lab "\\n" tstate[m]
        if (roots[m] != "-" && roots[m] != "") lab = lab "\\nbase of " roots[m]
        printf "  %s [shape=box, style=\"filled%s\", fillcolor=\"%s\", peripheries=%d, label=\"%s\"];\n",
            node(m), roots[m] != "-" ? ",bold" : "", fill[level[m]], pinned[m] == 1 ? 2 : 1, lab
    }

    for (i = 1; i <= ntables; i++) {
        m = order[i]
        l = level[m]
        shown = 0; hidden = 0; hidden_e = 0
        for (k = 1; k <= nruns[m]; k++) {
            t = rtype[m, k]
            if (l > 1 && t ~ /^L[1-4]$/) {
                # A run of table entries: one arrow per child table.
                nn = count(rmfn[m, k])
                start = strtonum(first(rmfn[m, k]))
                step = 1
                if (rmfn[m, k] ~ /-/) {
                    last = rmfn[m, k]; sub(/.*-/, "", last)
                    step = strtonum(last) < start ? -1 : 1
                }
                s0 = strtonum(first(slot[m, k]))
                for (j = 0; j < nn; j++) {
                    child = sprintf("0x%x", start + j * step)
                    style = (t == "L" l) ? ", style=dashed, color=red" : ""
                    if (!(child in level))       # a table outside this dump
                        printf "  %s [shape=box, style=dashed, label=\"%s %s\\n(not in the dump)\"];\n",
                            node(child), t, child
                    printf "  %s -> %s [label=\"[0x%03x]\"%s];\n", node(m), node(child), s0 + j, style
                }
                continue
            }
            # A leaf run (L1 entries, or an odd entry of an upper table).
            # RO maps of table frames are always drawn; data runs up to maxruns.
            if (t !~ /^L[1-4]$/ && shown >= maxruns) {
                hidden++; hidden_e += count(slot[m, k]); continue
            }
            if (t !~ /^L[1-4]$/) shown++
            color = "#eeeeee"
            if (t ~ /^L[1-4]$/ || t == "seg_desc") color = "#fdae6b"
            else if (rflags[m, k] ~ /^RW/) color = "#a1d99b"
            lab = sprintf("[%s] %d %s\\ngfn %s\\nmfn %s\\n%s %s", slot[m, k], count(slot[m, k]),
                          count(slot[m, k]) == 1 ? "entry" : "entries",
                          rgfn[m, k], rmfn[m, k], t, rflags[m, k])
            printf "  %s_r%d [shape=note, style=filled, fillcolor=\"%s\", label=\"%s\"];\n",
                node(m), k, color, lab
            printf "  %s -> %s_r%d [arrowhead=none, color=gray50];\n", node(m), node(m), k
        }
        if (hidden) {
            printf "  %s_more [shape=note, label=\"... %d more runs\\n(%d entries)\"];\n",
                node(m), hidden, hidden_e
            printf "  %s -> %s_more [arrowhead=none, color=gray50];\n", node(m), node(m)
        }
    }
    print "}"
}
