/*
 * test-source.c - source keys: registrable domains and platform accounts.
 */
#include <stdlib.h>

#include "citeaudit/source.h"
#include "check.h"

static void key(const char *url, const char *want)
{
    char *k = NULL;

    CHECK_INT(ca_source_key(url, &k, NULL), CA_OK);
    CHECK_STR(k, want);
    free(k);
}

int main(void)
{
    key("https://www.themoscowtimes.com/2024/01/03/x", "themoscowtimes.com");
    key("https://news.bbc.co.uk/2/hi/x.stm", "bbc.co.uk");
    key("https://t.me/mod_russia/34256", "t.me/mod_russia");
    key("https://t.me/s/VVGladkov/4457", "t.me/vvgladkov");
    key("https://telegram.me/mod_russia", "t.me/mod_russia");
    key("https://twitter.com/NASA/status/1", "x.com/nasa");
    key("https://x.com/nasa", "x.com/nasa");
    key("https://x.com/intent/tweet?text=a", "x.com");
    key("https://www.facebook.com/BBCNews/posts/1", "facebook.com/bbcnews");
    key("https://www.facebook.com/sharer/sharer.php?u=x", "facebook.com");
    key("https://www.instagram.com/nasa/", "instagram.com/nasa");
    key("https://www.instagram.com/p/abc/", "instagram.com");
    key("https://www.youtube.com/@NASA/videos", "youtube.com/@nasa");
    key("https://www.youtube.com/channel/UCabc", "youtube.com/channel/ucabc");
    key("https://www.youtube.com/watch?v=abc", "youtube.com");
    key("https://youtu.be/abc", "youtube.com");
    key("https://www.tiktok.com/@user/video/1", "tiktok.com/@user");
    key("https://github.com/curl/curl/issues/1", "github.com/curl");
    key("https://github.com/features/actions", "github.com");
    key("https://vk.com/durov", "vk.com/durov");
    key("https://example.com", "example.com");
    key("http://127.0.0.1:8080/x", "127.0.0.1");
    {
        char *k = (char *)1;
        CHECK_INT(ca_source_key("mailto:x@example.com", &k, NULL), CA_OK);
        CHECK(k == NULL);
    }
    {
        char *k = ca_source_host_key("WWW.KyivPost.com");
        CHECK_STR(k, "kyivpost.com");
        free(k);
    }
    CHECK(ca_source_is_account("t.me/x"));
    CHECK(!ca_source_is_account("example.com"));
    return check_done("test-source");
}
