/* Built into a static library by app.mk's recipe, linked through APP_LDLIBS. */
#include "part.h"

int library_answer(void)
{
    return 7;
}
