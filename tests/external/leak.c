/*
 * Must NOT link: sched_mark_exited() is a kernel internal
 * (include/kernel/sched.h), not part of the public API.  tests/sdk.sh
 * checks that minios-link refuses it.
 */
void sched_mark_exited(void);

int main(void)
{
    sched_mark_exited();
    return 0;
}
