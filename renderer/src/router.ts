import { createRouter, createWebHashHistory } from 'vue-router'
import type { RouteRecordRaw } from 'vue-router'

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
  { path: '/cka', name: 'cka', component: () => import('./views/CkaView.vue') },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHashHistory(), routes })
