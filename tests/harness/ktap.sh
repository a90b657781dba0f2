#!/usr/bin/env bash
# ktap.sh LOG - read a guest's KTAP results out of a serial log.
#
# The guest prints KTAP version 1 (docs/testing.md):
#
#   KTAP version 1
#   1..N
#   # fact KEY=VALUE
#   ok 1 NAME [# SKIP REASON]
#   not ok 2 NAME # REASON
#   # Test result: PASS|FAIL
#
# Everything else in the log (GRUB, the hypervisor's own messages) is
# ignored.  A line may carry a "(d0) " or "(d1) " prefix (xen-like may
# label guest lines; real Xen prints dom0's output raw) and a trailing CR.
#
# Prints one line per case and a verdict, and exits with:
#   0  PASS     every case ok, N results for a plan of 1..N, result PASS
#   1  FAIL     a case failed, or the guest itself said FAIL
#   2  CRASH    no KTAP header, no plan, a plan/count mismatch, "Bail out!",
#               or no "# Test result:" line (the guest never finished)
#   3  usage error / unreadable log
set -euo pipefail

[[ $# -eq 1 ]] || { echo "usage: $0 LOG" >&2; exit 3; }
log=$1
[[ -r $log ]] || { echo "ktap.sh: cannot read $log" >&2; exit 3; }

tr -d '\r' <"$log" | awk -v log_name="$log" '
    { sub(/^\(d[0-9]+\) /, "") }

    /^KTAP version 1$/ {
        if (seen_header) { note = "a second KTAP header (guest restarted?)"; crash = 1 }
        seen_header = 1; next
    }
    !seen_header { next }

    /^1\.\.[0-9]+$/ && plan == "" { plan = substr($0, 4) + 0; next }

    /^(not )?ok [0-9]+ / {
        ok = ($1 == "ok")
        n++
        skip = ($0 ~ /# SKIP/)
        if (!ok) failed++
        else if (skip) skipped++
        else passed++
        printf "  %s\n", $0
        next
    }

    /^Bail out!/ { printf "  %s\n", $0; bail = $0; next }

    /^# Test result: / { result = $4; next }

    END {
        if (!seen_header) { why = "no \"KTAP version 1\" line" ; crash = 1 }
        else if (plan == "") { why = "no plan line (1..N)"; crash = 1 }
        else if (bail != "") { why = bail; crash = 1 }
        else if (result == "") { why = "no \"# Test result:\" line: the guest did not finish"; crash = 1 }
        else if (n != plan) { why = sprintf("plan 1..%d but %d results", plan, n); crash = 1 }
        else if (note != "") { why = note }

        if (crash) verdict = "CRASH"
        else if (failed || result != "PASS") verdict = "FAIL"
        else verdict = "PASS"

        if (verdict == "FAIL" && !failed && result != "PASS")
            why = "the guest reported " (result == "" ? "nothing" : result)

        printf "%s: %s: %d passed, %d failed, %d skipped of %s planned%s\n", \
            verdict, log_name, passed, failed, skipped, (plan == "" ? "?" : plan), \
            (why != "" ? " (" why ")" : "")
        exit (verdict == "PASS" ? 0 : verdict == "FAIL" ? 1 : 2)
    }
'
