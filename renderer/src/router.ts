import { createRouter, createWebHashHistory } from 'vue-router'
import type { RouteRecordRaw } from 'vue-router'
import { analysisRoutes, lazyComponents } from './analyses/index.ts'

// Hash history: the same URLs work from file:// (Electron) and from the web host.
const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('./views/HomeView.vue') },
  { path: '/run/:runId', name: 'run', component: () => import('./views/RunView.vue'), props: true },
  {
    path: '/checkpoint/:checkpointId',
    name: 'checkpoint',
    component: () => import('./views/CheckpointView.vue'),
    props: true,
  },
  {
    path: '/result/:resultId',
    name: 'result',
    component: () => import('./views/ResultView.vue'),
    props: true,
  },
  { path: '/compare', name: 'compare', component: () => import('./views/CompareView.vue') },
  { path: '/analyze', name: 'analyze', component: () => import('./views/AnalyzeView.vue') },
  ...analysisRoutes,
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHashHistory(), routes })

/**
 * Loads every view's and analysis panel's chunk (and ECharts with the first chart view) once the page is idle, so the
 * first visit to a view does not parse them while a job keeps both cores busy.
 */
export function prefetchViews(): void {
  const loaders = [
    ...routes.flatMap((route) =>
      typeof route.component === 'function' ? [route.component as () => Promise<unknown>] : [],
    ),
    ...lazyComponents,
  ]
  const idle = (then: () => void): void => {
    if ('requestIdleCallback' in window) window.requestIdleCallback(then, { timeout: 2000 })
    else setTimeout(then, 500)
  }
  // A chunk that fails to load here fails again, visibly, when its view is opened.
  idle(() => void Promise.all(loaders.map((load) => load())).catch(() => undefined))
}
