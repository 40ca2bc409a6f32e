# dom0's half of make bench's smallest-MEM search for HTTP (bench/baseline.sh;
# busybox sh): the guest runs apps/httpd at 10.0.0.2 with a given MEM; one
# wget of its page, checked, says it serves ("http-mem: served"); then
# `xl shutdown`.  A guest that never answers is destroyed after about 60 s;
# one that is gone (crashed: too little memory) ends the wait at once.
n=0
until xl domid "$GUEST_NAME" > /dev/null 2>&1; do
    n=$((n + 1))
    [ $n -lt 600 ] || { echo "http-mem: the guest never appeared"; exit 1; }
    sleep 0.1
done
n=0
until wget -q -T 2 -O /tmp/page http://10.0.0.2/ 2> /dev/null; do
    n=$((n + 1))
    if ! xl domid "$GUEST_NAME" > /dev/null 2>&1; then
        echo "http-mem: the guest is gone after $n tries"
        exit 1
    fi
    if [ $n -ge 30 ]; then
        echo "http-mem: no page after $n tries"
        xl destroy "$GUEST_NAME" > /dev/null 2>&1
        exit 1
    fi
    sleep 1
done
grep -q '<title>minios</title>' /tmp/page && echo "http-mem: served"
xl shutdown "$GUEST_NAME" > /dev/null
