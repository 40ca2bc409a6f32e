# Extra flags, sources and libraries for this application (docs/applications.md).
APP_EXTRA_CFLAGS += -DAPP_MK_DEFINE='"set by app.mk"'
APP_EXTRA_SRCS   += parts/part.c
APP_LDLIBS       += $(APP_OUT)/libparts.a

# A library of the app's own, built with the application's flags.
$(APP_OUT)/libparts.a: $(APP_OUT)/obj/parts/library.o
	ar rcs $@ $<
$(IMAGE): $(APP_OUT)/libparts.a
