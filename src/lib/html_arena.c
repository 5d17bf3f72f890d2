/*
 * html_arena.c - the allocator gumbo parses into.
 *
 * gumbo allocates every node, attribute, string and vector piece by piece
 * and frees them one by one afterwards; on news pages malloc and free are
 * a sixth of its time. The whole tree lives exactly as long as one
 * document's extraction, so it is carved from large blocks and freed at
 * once. A free of the most recent allocation (gumbo's temporary buffers)
 * gives the space back; other frees wait for the end. Blocks grow with the
 * input, so the waste stays a fraction of what gumbo would hold anyway.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html_int.h"

#define ARENA_MIN_BLOCK ((size_t)256 * 1024)
#define ARENA_ALIGN 16

struct arena_block {
    struct arena_block *next;
    size_t used;
    size_t size;
    size_t last; /* offset of the most recent allocation */
    max_align_t data[];
};

static void *arena_alloc(void *userdata, size_t size)
{
    struct html_arena *a = userdata;
    struct arena_block *b = a->head;
    size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);

    if (need < size)
        return NULL;
    if (!b || b->size - b->used < need) {
        size_t bsize = a->next_size > need ? a->next_size : need;

        b = malloc(sizeof *b + bsize);
        if (!b)
            return NULL;
        b->next = a->head;
        b->used = 0;
        b->size = bsize;
        b->last = 0;
        a->head = b;
        if (a->next_size < ((size_t)64 << 20))
            a->next_size *= 2;
    }
    b->last = b->used;
    b->used += need;
    return (char *)b->data + b->last;
}

static void arena_free(void *userdata, void *p)
{
    struct html_arena *a = userdata;
    struct arena_block *b = a->head;

    if (p && b && (char *)p == (char *)b->data + b->last)
        b->used = b->last;
}

void ca__html_arena_init(struct html_arena *a, GumboOptions *opts)
{
    a->head = NULL;
    a->next_size = ARENA_MIN_BLOCK;
    *opts = kGumboDefaultOptions;
    opts->allocator = arena_alloc;
    opts->deallocator = arena_free;
    opts->userdata = a;
}

void ca__html_arena_release(struct html_arena *a)
{
    struct arena_block *b = a->head, *next;

    for (; b; b = next) {
        next = b->next;
        free(b);
    }
    a->head = NULL;
}
