/*
 * Must NOT link: minios sets up no thread-local storage, so the linker
 * script refuses __thread variables with a message (tests/sdk.sh).
 */
static __thread int counter = 5;

int main(void)
{
    return ++counter;
}
