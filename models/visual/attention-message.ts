/**
 * The visual stage's result as an h2r_interfaces/msg/VisualAttention message, and the camera
 * image it reads, checked. Pure: no graph, no model.
 */
import type { Header, Image, Time, VisualAttention } from '../../graph/messages';
import type { Description, Meaning } from '../../semantics/meaning';
import type { VisualAttentionResult } from './attention-stage';
import type { CameraFrame } from './perception';
import { attendedDescription, descriptionFit } from './grounding-features';

/** The rgb8 frame of a sensor_msgs/Image, or the reason it cannot be read. */
export function frameFromImage(image: Image, width: number, height: number): CameraFrame | string {
  if (image.encoding !== 'rgb8') return `image encoding is '${image.encoding}', expected rgb8`;
  if (image.width !== width || image.height !== height) return `image is ${image.width}x${image.height}, the visual stage is set up for ${width}x${height}`;
  if (image.step !== width * 3) return `image step ${image.step} is not width*3 = ${width * 3}`;
  const data = image.data instanceof Uint8Array ? image.data : Uint8Array.from(image.data);
  if (data.length !== width * height * 3) return `image has ${data.length} bytes, expected ${width * height * 3}`;
  return { width, height, rgb: data };
}

function describe(d: Description): string {
  const words = [d.size, d.state, d.colour, d.kind ?? 'one'].filter((w) => w !== undefined && w !== '');
  return words.join(' ');
}

/** Why attention of this confidence should not be acted on, in words for the person. */
export function lowConfidenceReason(result: VisualAttentionResult, meaning: Meaning, threshold: number): string {
  if (result.confidence >= threshold) return '';
  if (result.instances.length === 0) return 'I cannot make out any objects';
  const wanted = attendedDescription(meaning).target;
  if (result.place) return `I am not sure where "${meaning.relation?.type.replace(/_/g, ' ')} the ${describe(meaning.relation?.reference ?? {})}" is`;
  const fits = result.instances.map((instance) => descriptionFit(instance, wanted));
  const good = fits.filter((f) => f > 0.3).length;
  if (good === 0) return `I cannot see a ${describe(wanted)}`;
  if (good > 1) return `${good} things could be the ${describe(wanted)} you mean`;
  return `I am not sure which ${describe(wanted)} you mean`;
}

export function visualAttentionMessage(
  result: VisualAttentionResult,
  frameHeader: Header,
  reminderStamp: Time,
  meaning: Meaning,
  threshold: number,
): VisualAttention {
  const reason = lowConfidenceReason(result, meaning, threshold);
  return {
    header: frameHeader,
    reminder_stamp: reminderStamp,
    heatmap: {
      header: frameHeader,
      height: result.height,
      width: result.width,
      encoding: '32FC1',
      is_bigendian: 0,
      step: result.width * 4,
      data: new Uint8Array(result.heatmap.buffer, result.heatmap.byteOffset, result.heatmap.byteLength),
    },
    u: result.u,
    v: result.v,
    attended_point: { x: result.point.x, y: result.point.y, z: 0 },
    attended_object: '',
    heat_share: 0,
    confidence: result.confidence,
    low_confidence: reason !== '',
    reason,
    mistake_type: meaning.mistake,
  };
}
