/* Compiled only because app.mk lists it in APP_EXTRA_SRCS. */
#include "part.h"

int part_answer(void)
{
    return 42;
}
