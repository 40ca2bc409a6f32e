# dom0's half of make bench's smallest-MEM search for HTTP (bench/baseline.sh;
# busybox sh): the guest runs apps/httpd at 10.0.0.2 with a given MEM; one
# wget of its page, checked, says it serves ("http-mem: served"); then
# `xl shutdown` (busybox 1.35's wget -T segfaults here: not used).  A guest that
# never answers is destroyed after about 90 s;
# one that is gone (crashed: too little memory) ends the wait at once.
n=0
until xl domid "$GUEST_NAME" > /dev/null 2>&1; do
    n=$((n + 1))
    [ $n -lt 600 ] || { echo "http-mem: the guest never appeared"; exit 1; }
    sleep 0.1
done
# gone: the guest is no more (xl names it from creation to destruction).
gone() { ! xl domid "$GUEST_NAME" > /dev/null 2>&1; }
n=0
until ping -c 1 -W 1 10.0.0.2 > /dev/null 2>&1; do
    n=$((n + 1))
    gone && { echo "http-mem: the guest is gone before it answered ping"; exit 1; }
    [ $n -lt 60 ] || { echo "http-mem: no ping answer"; xl destroy "$GUEST_NAME"; exit 1; }
done
n=0
until wget -q -O /tmp/page http://10.0.0.2/ 2> /tmp/wget.err; do
    n=$((n + 1))
    gone && { echo "http-mem: the guest is gone after $n tries"; exit 1; }
    if [ $n -ge 10 ]; then
        echo "http-mem: no page after $n tries: $(cat /tmp/wget.err)"
        xl destroy "$GUEST_NAME" > /dev/null 2>&1
        exit 1
    fi
    sleep 1
done
grep -q '<title>minios</title>' /tmp/page && echo "http-mem: served"
xl shutdown "$GUEST_NAME" > /dev/null
