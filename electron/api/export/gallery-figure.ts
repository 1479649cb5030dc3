import { corruptionGalleryModule } from '../analyses/robustness/gallery.ts'
import type { ChartExportRequest } from '../contract/index.ts'
import type { WorkbenchService } from '../service.ts'

/** A gallery figure asked by its request gets its images here (the same as the view shows). */
export async function withGalleryImages(
  service: WorkbenchService,
  request: ChartExportRequest,
): Promise<ChartExportRequest> {
  const data = request.gallery
  if (request.chart !== 'corruption-gallery' || !data || data.gallery !== null) return request
  const gallery = await corruptionGalleryModule.compute(data.request, [], service.analysisContext)
  return { ...request, gallery: { ...data, gallery } }
}
