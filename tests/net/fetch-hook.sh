# dom0's half of tests/net.sh's net-apps-fetch (busybox sh): busybox httpd
# serves /tmp/www on 10.0.0.1:8080 (it runs on as a daemon) for apps/fetch
# in the guest, which prints what it got.
mkdir -p /tmp/www
echo "a page from dom0's busybox httpd" > /tmp/www/hello.txt
httpd -p 10.0.0.1:8080 -h /tmp/www && echo "httpd serving /tmp/www on 10.0.0.1:8080"
