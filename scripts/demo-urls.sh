#!/usr/bin/env bash
# Prints the URLs to try on the demo database: the survey forms of one
# agency's counters (both instruments), their posters, and the demo logins.
set -euo pipefail
bin=$1 db=$2 base=$3
echo
echo "sipas demo: $base   (database $db)"
echo
"$bin" counter urls --db "$db" --agency S01 --base-url "$base"
echo
echo "All posters of an agency: $base/agencies/S01/posters"
echo "Officials' dashboard:     $base/login"
echo "Public results (no sign-in): $base/p/DEMO"
echo "Integrity (set aside):    $base/dashboard/agency/S01/integrity   (a demo burst from one phone, set aside)"
echo "Demo logins (also HTTP Basic for the API): admin / sipas-demo (everything), official / sipas-demo (one ward, P001)"
echo "API example: curl -u admin:sipas-demo $base/api/v1/agencies"
echo
