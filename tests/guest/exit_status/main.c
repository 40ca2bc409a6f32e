/* Returns the status given as its one argument, for the exit-status tests. */
int main(int argc, char **argv)
{
    int sign = 1, value = 0;
    const char *p = argc > 1 ? argv[1] : "0";

    if (*p == '-') {
        sign = -1;
        p++;
    }
    while (*p >= '0' && *p <= '9')
        value = value * 10 + (*p++ - '0');
    return sign * value;
}
