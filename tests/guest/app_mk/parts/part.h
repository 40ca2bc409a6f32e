/* Declarations for the app.mk test's extra source and library. */
int part_answer(void);
int library_answer(void);
