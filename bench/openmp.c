// The C peer of the dispatch suite (bench/dispatch.ts): the same add, mul,
// dot and sum, float32 and float64, as OpenMP loops, built by the bench with
// gcc -O3 -march=native -fopenmp and timed the way lanes is, back-to-back
// calls on the same arrays. Reductions may reassociate (omp simd reduction),
// as numpy's pairwise sums do; float32 accumulates in float32.
//
//   ./openmp THREADS N[,N...] [OP DTYPE]   one JSON line per op, dtype and n
//                                          (or only OP on DTYPE): median ns per element
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

#define LOOPS(T, SUFFIX)                                                   \
  static double add_##SUFFIX(T *a, T *b, T *out, long n) {                 \
    _Pragma("omp parallel for simd schedule(static)")                      \
    for (long i = 0; i < n; i++) out[i] = a[i] + b[i];                     \
    return out[n / 2];                                                     \
  }                                                                        \
  static double mul_##SUFFIX(T *a, T *b, T *out, long n) {                 \
    _Pragma("omp parallel for simd schedule(static)")                      \
    for (long i = 0; i < n; i++) out[i] = a[i] * b[i];                     \
    return out[n / 2];                                                     \
  }                                                                        \
  static double dot_##SUFFIX(T *a, T *b, T *out, long n) {                 \
    T s = 0;                                                               \
    (void)out;                                                             \
    _Pragma("omp parallel for simd schedule(static) reduction(+ : s)")     \
    for (long i = 0; i < n; i++) s += a[i] * b[i];                         \
    return s;                                                              \
  }                                                                        \
  static double sum_##SUFFIX(T *a, T *b, T *out, long n) {                 \
    T s = 0;                                                               \
    (void)b, (void)out;                                                    \
    _Pragma("omp parallel for simd schedule(static) reduction(+ : s)")     \
    for (long i = 0; i < n; i++) s += a[i];                                \
    return s;                                                              \
  }

LOOPS(float, f32)
LOOPS(double, f64)

typedef double (*loop_fn)(void *, void *, void *, long);
static const struct {
  const char *op, *dtype;
  size_t bytes;
  loop_fn fn;
} CASES[] = {
  {"add", "float32", 4, (loop_fn)add_f32}, {"mul", "float32", 4, (loop_fn)mul_f32},
  {"dot", "float32", 4, (loop_fn)dot_f32}, {"sum", "float32", 4, (loop_fn)sum_f32},
  {"add", "float64", 8, (loop_fn)add_f64}, {"mul", "float64", 8, (loop_fn)mul_f64},
  {"dot", "float64", 8, (loop_fn)dot_f64}, {"sum", "float64", 8, (loop_fn)sum_f64},
};

static int by_value(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

int main(int argc, char **argv) {
  if (argc != 3 && argc != 5) {
    fprintf(stderr, "usage: %s THREADS N[,N...] [OP DTYPE]\n", argv[0]);
    return 2;
  }
  omp_set_num_threads(atoi(argv[1]));
  volatile double sink = 0;
  for (char *size = strtok(argv[2], ","); size; size = strtok(NULL, ",")) {
    long n = (long)atof(size);
    for (size_t c = 0; c < sizeof CASES / sizeof CASES[0]; c++) {
      if (argc == 5 && (strcmp(argv[3], CASES[c].op) || strcmp(argv[4], CASES[c].dtype))) continue;
      size_t bytes = ((n * CASES[c].bytes + 63) / 64) * 64;
      char *a = aligned_alloc(64, bytes), *b = aligned_alloc(64, bytes), *out = aligned_alloc(64, bytes);
      for (long i = 0; i < n; i++) {
        if (CASES[c].bytes == 4) ((float *)a)[i] = 1 + i % 7, ((float *)b)[i] = 0.5f + i % 3;
        else ((double *)a)[i] = 1 + i % 7, ((double *)b)[i] = 0.5 + i % 3;
      }
      memset(out, 0, bytes);
      // Warm up for 20 ms (the thread team starts, pages settle), then time
      // samples of at least ~50 µs, as the JS side does.
      double t0 = now_ns();
      long calls = 0;
      while (calls < 100 || now_ns() - t0 < 20e6) sink += CASES[c].fn(a, b, out, n), calls++;
      double per_call = (now_ns() - t0) / calls;
      long repeat = per_call > 50e3 ? 1 : (long)(50e3 / per_call) + 1;
      enum { SAMPLES = 41 };
      double samples[SAMPLES];
      for (int s = 0; s < SAMPLES; s++) {
        double start = now_ns();
        for (long i = 0; i < repeat; i++) sink += CASES[c].fn(a, b, out, n);
        samples[s] = (now_ns() - start) / repeat / n;
      }
      qsort(samples, SAMPLES, sizeof samples[0], by_value);
      printf("{\"op\":\"%s\",\"dtype\":\"%s\",\"n\":%ld,\"threads\":%s,\"nsPerElement\":%.5f}\n", CASES[c].op, CASES[c].dtype, n,
             argv[1], samples[SAMPLES / 2]);
      free(a), free(b), free(out);
    }
  }
  return sink == 42 ? 1 : 0;
}
