/* Gives lib/string.c's functions k_ names so the host's libc keeps its own. */
#define memcpy  k_memcpy
#define memmove k_memmove
#define memset  k_memset
#define memcmp  k_memcmp
#define memchr  k_memchr
#define strlen  k_strlen
#define strnlen k_strnlen
#define strcmp  k_strcmp
#define strncmp k_strncmp
#define strchr  k_strchr
#define strrchr k_strrchr
#define strstr  k_strstr
#define strlcpy k_strlcpy
